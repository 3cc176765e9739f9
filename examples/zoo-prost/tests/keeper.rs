//! The keepers' service (`proto/keeper/v1/keeper.iproto`): a schema that imports another
//! `.iproto`, a plain `.proto` and a well-known type, with a hierarchy of its own and a tonic
//! service whose request and response carry hierarchies. A client and a server talk over
//! loopback, in this process.
use std::net::SocketAddr;

use prost::Message;
use zoo_prost::keeper::v1::keeper_service_client::KeeperServiceClient;
use zoo_prost::keeper::v1::keeper_service_server::KeeperServiceServer;
use zoo_prost::keeper::v1::{task, AdmitRequest, Feeding, Meal, Task};
use zoo_prost::zoo::{Animal, Cat, Dog, Kitten};
use zoo_prost::Keeper;

fn a_feeding() -> Task {
    let due = prost_types::Timestamp { seconds: 1_700_000_000, nanos: 5 };
    let base = Task { enclosure_id: "E7".into(), due: Some(due), ..Default::default() };
    Task::feeding(base, Feeding { meal: Some(Meal { food: "fish".into(), grams: 250 }) })
}

#[test]
fn a_subclass_from_another_file_round_trips_with_its_well_known_type() {
    let task = a_feeding();
    let bytes = task.encode_to_vec();
    let back = Task::decode(bytes.as_slice()).unwrap();
    assert_eq!(back, task);
    assert_eq!(back.r#type(), task::Type::Feeding);
    // google.protobuf.Timestamp is prost-types' type.
    let due: &prost_types::Timestamp = back.due.as_ref().unwrap();
    assert_eq!((due.seconds, due.nanos), (1_700_000_000, 5));
    match back.subtype {
        Some(task::Subtype::Feeding(Feeding { meal: Some(meal) })) => {
            assert_eq!((meal.food.as_str(), meal.grams), ("fish", 250))
        }
        other => panic!("expected a feeding, got {other:?}"),
    }
    // The layout of the extension style: discriminator 99 = 100, the feeding part in field 100.
    assert!(bytes.windows(3).any(|w| w == [0x98, 0x06, 100]), "{bytes:?}");
    assert!(bytes.windows(2).any(|w| w == [0xa2, 0x06]), "{bytes:?}");
}

#[test]
fn the_proto_tree_in_out_dir_is_complete() {
    let out_dir = std::path::Path::new(env!("OUT_DIR"));
    for name in ["zoo.proto", "keeper/v1/keeper.proto", "keeper/v1/schedule.proto"] {
        assert!(out_dir.join(name).is_file(), "{name} is in OUT_DIR");
    }
    let keeper = std::fs::read_to_string(out_dir.join("keeper/v1/keeper.proto")).unwrap();
    assert!(keeper.contains("import \"zoo.proto\";"), "{keeper}");
    assert!(keeper.contains("oneof subtype {"), "{keeper}");
    // protoc has the well-known types itself.
    assert!(!out_dir.join("google").exists());
}

async fn serve() -> (SocketAddr, tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
    let incoming = tonic::transport::server::TcpIncoming::bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = incoming.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        tonic::transport::Server::builder()
            .add_service(KeeperServiceServer::new(Keeper))
            .serve_with_incoming_shutdown(incoming, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
    });
    (addr, stop, server)
}

#[tokio::test]
async fn a_client_and_a_server_exchange_hierarchies() {
    let (addr, stop, server) = serve().await;
    let mut client = KeeperServiceClient::connect(format!("http://{addr}")).await.unwrap();
    let arrived = prost_types::Timestamp { seconds: 1_000, nanos: 0 };

    // A kitten (two levels below Animal) goes in; a checkup (a subclass of Task) comes out.
    let kitten = Animal::kitten(
        Animal { weight: 0.8, name: Some("Tom".into()), ..Default::default() },
        Cat::default(),
        Kitten { toy: Some("yarn".into()) },
    );
    let reply = client
        .admit(AdmitRequest { animal: Some(kitten), arrived: Some(arrived) })
        .await
        .unwrap()
        .into_inner();
    let task = reply.first_task.unwrap();
    assert_eq!(task.r#type(), task::Type::Checkup);
    assert_eq!(task.due.unwrap().seconds, 4_600);
    match task.subtype {
        Some(task::Subtype::Checkup(c)) => assert_eq!(c.vet, "Dr. Herriot"),
        other => panic!("expected a checkup, got {other:?}"),
    }

    // A dog is fed.
    let dog = Animal {
        weight: 30.0,
        r#type: Some(zoo_prost::zoo::animal::Type::Dog as i32),
        subtype: Some(zoo_prost::zoo::animal::Subtype::Dog(Dog { bones_buried: Some(3), ..Default::default() })),
        ..Default::default()
    };
    let reply = client
        .admit(AdmitRequest { animal: Some(dog), arrived: None })
        .await
        .unwrap()
        .into_inner();
    let task = reply.first_task.unwrap();
    assert_eq!(task.r#type(), task::Type::Feeding);
    assert!(task.due.is_none());
    assert!(matches!(task.subtype, Some(task::Subtype::Feeding(Feeding { meal: Some(_) }))));

    // An empty request is refused with the service's own status.
    let status = client.admit(AdmitRequest::default()).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);

    stop.send(()).unwrap();
    server.await.unwrap();
}
